package flowlogs

// Settings is what a list of Options asks of a Reader, for code that parses
// records without one and must honour the same options the same way:
// package cwlogs parses each CloudWatch Logs event on its own.
type Settings struct {
	Formats       []*Format // WithFormat, WithFormats; none: DefaultFormat
	Selection     FieldSet  // as Selection returns: empty means every field
	Source        string    // WithSource
	Lenient       bool      // WithLenient
	Keep          int       // WithLenient: the malformed lines to keep
	Filter        Filter    // WithFilter
	MaxLineLength int       // WithMaxLineLength; 0 when not given
	// SyncDecompression is WithSyncDecompression.
	SyncDecompression bool
}

// ResolveOptions returns the Settings opts make, applied in order as
// NewReader applies them.
func ResolveOptions(opts ...Option) Settings {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return Settings{
		Formats:           append([]*Format(nil), o.formats...),
		Selection:         o.selection(),
		Source:            o.source,
		Lenient:           o.lenient,
		Keep:              o.keep,
		Filter:            o.filter,
		MaxLineLength:     o.maxLine,
		SyncDecompression: o.sync,
	}
}
