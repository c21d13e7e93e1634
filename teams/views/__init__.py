"""Pages of the teams app, split by area; urls.py names each one."""
