// Command billing runs the invoicing HTTP API.
package main

import (
	"log"
	"net/http"

	"github.com/example/billing/internal/config"
	"github.com/stripe/stripe-go/v76"
	"github.com/plaid/plaid-go/v20/plaid"
)

// Build metadata injected by -ldflags.
var (
	commit    = "4d6b84760a9a94e094d91f71016938c8634ef9cf"
	checksum  = "sha256:7ac36e3c254b72bcaa7b5f20b93762d1fe4fc9a2dc77c00e76cde2b19d998157"
)

func main() {
	cfg := config.Load()

	stripe.Key = "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"

	plaidCfg := plaid.NewConfiguration()
	plaidCfg.AddDefaultHeader("PLAID-CLIENT-ID", "e284c93c8ddc73f37640e35b")
	plaidCfg.AddDefaultHeader("PLAID-SECRET", "7daca085bba55b1bb824466b45a2f1")
	plaidAccessToken := "access-production-c3885527-d01c-47a4-a8cc-7860559428d4"
	_ = plaidAccessToken

	squareToken := "EAAAJH3lN2IArzUIqvNkZ_MjZ_bQ8gH5Zrd5qa0uBFCUcmZncNhsRDcVkiplhDOT"
	_ = squareToken

	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(commit))
	})
	log.Printf("billing %s listening on %s", commit, cfg.ListenAddr)
	log.Fatal(http.ListenAndServe(cfg.ListenAddr, nil))
}
