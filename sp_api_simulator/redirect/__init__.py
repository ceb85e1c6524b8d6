"""A folder to put on PYTHONPATH (the env file of `sp-api-simulator --tls` does): its
sitecustomize sends Amazon's host names to the simulator in every Python process."""
