"""Group signals about the same situation (see run.py for the steps).

Nothing is imported here: `mhtool --help` loads the dedupe commands
(cli.py) without the heavy modules behind them."""
