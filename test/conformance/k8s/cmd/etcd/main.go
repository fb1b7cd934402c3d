// Command etcd is a tiny wrapper around etcd's etcdmain so that etcd can be
// built with `go build` from the same module (and same go.etcd.io/etcd
// version) as kube-apiserver.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
