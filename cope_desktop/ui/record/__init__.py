"""The family record: one window per family, its editors, and the "New family" dialog."""
