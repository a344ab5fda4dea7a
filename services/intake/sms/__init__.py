"""SMS 1708: the gateway's door (door), the replies it sends (replies), the commands a short
message may hold (commands) and the conversation that answers them (conversation), which the
Twitter channel shares."""
