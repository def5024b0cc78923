"""`python -m ingest.plant_sim`: serve the simulated plant until SIGINT or SIGTERM."""

from ingest.plant_sim.cli import main

raise SystemExit(main())
