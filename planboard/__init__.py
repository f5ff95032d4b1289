"""planboard: track a strategy's delivery action by action and report it to the board."""
