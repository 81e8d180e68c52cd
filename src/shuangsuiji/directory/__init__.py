"""两库一单: the entity directory, the inspector directory and each department's check items."""
