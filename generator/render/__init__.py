"""Pure functions from the course model to pages, navigation, handouts and downloads."""
