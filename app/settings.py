"""One settings object, read once at start-up from `FACTORYGRAPH_*` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.demo_training import DemoTraining
from graph.connect import StoreConfig


class Settings(BaseSettings):
    """Where the graph is. Without `graph_uri` the embedded FalkorDB in `data_dir` is used."""

    model_config = SettingsConfigDict(env_prefix="FACTORYGRAPH_", extra="ignore")

    data_dir: Path = Path(".factorygraph")
    graph_name: str = "factorygraph"
    graph_uri: str | None = None
    graph_user: str | None = None
    graph_password: SecretStr | None = None
    graph_database: str | None = None
    log_level: str = "INFO"
    # API limits (see app.api.Limits): FACTORYGRAPH_MAX_QUERY_DEPTH and so on.
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 2_000
    max_subscriptions_per_connection: int = 20
    subscriber_queue: int = 1_000
    connection_init_timeout_s: float = 5.0
    bus_url: str | None = None
    """A redis:// URL: subscriptions share events with every replica on that server."""
    demo_training: DemoTraining = DemoTraining()
    """What `serve --demo` trains on first run, as JSON (`{"epochs": 2, "days": 10}`)."""
    web_dir: Path | None = None
    """The web client's build (default `frontend-client/dist` beside the code)."""

    def store_config(self) -> StoreConfig:
        return StoreConfig(
            data_dir=self.data_dir,
            graph_name=self.graph_name,
            uri=self.graph_uri or None,
            user=self.graph_user,
            password=self.graph_password.get_secret_value() if self.graph_password else None,
            database=self.graph_database,
        )
