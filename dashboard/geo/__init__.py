"""Local map data: country shapes and names, shipped so the map draws with no network."""
