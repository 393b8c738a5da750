"""Field laptops (issue 10): the page, the guided screens and the conflict dialog."""
