package corpus

import (
	"embed"
	"io/fs"
)

//go:embed articles
var articles embed.FS

// Embedded returns the articles bundled with attache (the folder
// corpus/articles), rooted so that IDs are plain file names such as
// "alaska-summit-starmer-zelensky.md". Read it with LoadFS.
func Embedded() fs.FS {
	sub, err := fs.Sub(articles, "articles")
	if err != nil {
		// fs.Sub fails only for an invalid path, and "articles" is valid.
		panic("corpus: " + err.Error())
	}
	return sub
}
