"""The command line as a whole: its entry point, and what it does without the optional extras."""
