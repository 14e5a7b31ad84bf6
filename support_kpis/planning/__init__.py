"""Looking ahead and listening: ticket-volume forecasts, the agents they need, and the tone of what customers
write."""
