"""The waitlist: entries, freed times and their waves of offers, claims, newly opened hours."""
