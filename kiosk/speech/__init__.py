"""Speech: what is said (script, spoken forms), and the service that says it off the GUI thread."""
