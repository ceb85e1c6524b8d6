"""A local SP-API simulator built from Amazon's models; see server.py.

from sp_api_simulator import Simulator
with Simulator().running() as sim:
    config = sim.tap_config()   # point the tap at it
"""

from sp_api_simulator.server import Faults, Simulator, SimulatorConfig

__all__ = ["Faults", "Simulator", "SimulatorConfig"]
