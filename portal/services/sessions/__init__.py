"""Sessions: booking, changes on a client's behalf, hours, open times, outreach, the calendar feed."""
