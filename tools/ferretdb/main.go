// Command ferretdb runs FerretDB (a MongoDB wire-protocol server) on its SQLite handler for the
// SDK's mongodb integration test: MongoDB itself is not packaged by Debian. It goes through
// FerretDB's embeddable package because its own command insists on version files that only its
// release build writes.
//
//	ferretdb -listen 127.0.0.1:<port> -sqlite file:/tmp/dir/
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	sqlite := flag.String("sqlite", "", "SQLite URI of the data directory, e.g. file:/tmp/data/")
	flag.Parse()
	if *sqlite == "" {
		fmt.Fprintln(os.Stderr, "ferretdb: -sqlite is required (e.g. file:/tmp/data/)")
		os.Exit(2)
	}
	server, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Handler:   "sqlite",
		SQLiteURL: *sqlite,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Println("ferretdb: listening on", *listen)
	if err := server.Run(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}
