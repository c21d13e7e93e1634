"""Pages of daily work, split by area; urls.py names each one."""
