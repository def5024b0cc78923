/** `/`: the plant board (`?line=L-001` highlights and scrolls to that line). */
import { PlantBoard } from "../../features/board/components/PlantBoard";
import "../../features/board/board.css";

export default function Board() {
  return <PlantBoard />;
}
