"""Plan pages: thin views that parse, authorise, call a service and render, by concern."""
