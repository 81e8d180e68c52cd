"""The first random: each task's verifiable draw of entities, stored with its bundle."""
