"""The command line: the root group (`root`), what every command shares, and the option types."""
