package feeds

// Hooks into the package for its external tests.

// CanonicalURL exposes canonicalURL.
var CanonicalURL = canonicalURL

// SetAfterWrite makes m call hook after writing each article file and
// before recording it; an error from hook stops the poll there, as a crash
// would.
func SetAfterWrite(m *Manager, hook func(path string) error) { m.afterWrite = hook }

// Dir is the folder m writes articles to.
func (m *Manager) Dir() string { return m.cfg.Dir }
