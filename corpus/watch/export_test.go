package watch

// Hooks into the package for its external tests.

// WithoutEvents returns opts with file system events turned off, so that
// only rescans see changes: how tests stand in for a network mount that
// drops events.
func WithoutEvents(opts Options) Options {
	opts.noEvents = true
	return opts
}
