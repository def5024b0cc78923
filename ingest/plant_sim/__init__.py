"""The simulated plant: the demo plant's machines as a Machinery OPC UA server, live.

`python -m ingest.plant_sim` (see `cli`) serves them; `server.start_plant_server` builds
one in-process for tests; `physics` is the machine model, `simulator` its clock.
"""
