"""The client's own side: changes from a link, moves and undo, notes, help offers, fresh links, change notices."""
