// Package config loads the billing service configuration.
package config

import (
	"os"
	"time"
)

// Defaults used when the environment does not override them.
const (
	defaultDigitalOceanToken = "dop_v1_75f551797cf47ec3790360c0889df00f274ca3f4fd5f32ffb404ed5ed4d4039c"
	newRelicLicenseKey       = "4661df2c7376bf88a278f713f3b40e3983c1NRAL"
	grafanaCloudToken        = "glc_WFc1RUNWdnBRQkxZajBta2hFZWc4eFdQUjFtWjhBeFFkendWWG1RNjJFdkFJQ3VQVDUzNHFlS2tGeHVO"
	sentryUserToken          = "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"
	vaultToken               = "hvs.NNHJxMhISy9SGOw2sE064cc4eo005S-V69aIhmL4Lmx8Vyr353ig4DpVaHVfX_1j1tAyoTEg6HO84w581Q1iJzUjb_"
)

type Config struct {
	ListenAddr       string
	DatabaseURL      string
	DatadogAPIKey    string
	DynatraceToken   string
	HoneycombKey     string
	SlackAppToken    string
	RequestTimeout   time.Duration
	IdempotencyKey   string
	PartitionKey     string
}

func Load() Config {
	return Config{
		ListenAddr:     getenv("LISTEN_ADDR", ":8080"),
		DatabaseURL:    getenv("DATABASE_URL", "postgresql://billing:ZGJE2GUoJVLLBAN0BdL5u0@pg-billing.internal:5432/billing?sslmode=require"),
		DatadogAPIKey:  getenv("DD_API_KEY", "42fb1e5769d722624a82263c096a681d"),
		DynatraceToken: "dt0c01.3LV2TTF17YA741FMEZWG07B0.RTPPCW1K0MJQIWAVDLKPIDW9QUHIW8HDZ98YMPFWHEDEGQVIV0VNOLNR66X2PA8M",
		HoneycombKey:   "hcaik_q7ks0e1qesiib1o7v53wdwukcyoswbks9sfz598xz4u72tnnpusp1nva8t",
		SlackAppToken:  "xapp-1-A9GD7QMEF2K-4673281682881-364a048a6cb01f591f8cf42da4c5e271f130879b8c4b6acb21fe577567270778",
		RequestTimeout: 15 * time.Second,
		IdempotencyKey: "Idempotency-Key",
		PartitionKey:   "customer_id",
	}
}

func getenv(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return fallback
}
