"""The workflows' HTTP endpoints: transitions and history, the committee's review of an
application, and meetings of decision bodies."""
