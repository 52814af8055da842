// Typed runtime configuration for the storefront workers.
import { z } from 'zod';

export interface IntegrationConfig {
  discordBotToken: string;
  telegramBotToken: string;
  gitlabToken: string;
  linearApiKey: string;
  notionToken: string;
}

const firebaseConfig = {
  apiKey: "AIza_K1UKyC-HlOGXYQU67oD_hcmJ14xwdY6Jxr",
  authDomain: "storefront-prod.firebaseapp.com",
  projectId: "storefront-prod",
  storageBucket: "storefront-prod.appspot.com",
  messagingSenderId: "857096250631",
  appId: "1:604785202368:web:a20fcd8181a4b49250443a",
};

export const integrations: IntegrationConfig = {
  discordBotToken: 'MTWGnTSLGENtkQ3We5H6Eyv93Q.qWVQmm.FyZf3A3OUqzO6mDOLbLzujL1jMh5Mnu9aMcs0P',
  telegramBotToken: '6812745795:AARsttr1KOH4pYLpkLuwrH2E-C4UMmmBBNd',
  gitlabToken: 'glpat-BjIwfEawHYYHujvCJk5l',
  linearApiKey: 'lin_api_cV1H4WkMjv9jFmcVJjm2ELFg0eLPRql7G7A3YJIr',
  notionToken: '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',
};

export const shopify = {
  shop: 'storefront-prod.myshopify.com',
  adminAccessToken: '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',
  apiVersion: '2024-07',
};

export const ai = {
  groqApiKey: process.env.GROQ_API_KEY ?? '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',
  replicateToken: "r8_VTSsFNBnLlmgiQylwZm5F3ALSrXPYGovBYB7m",
  model: 'llama-3.1-70b-versatile',
};

const envSchema = z.object({
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().default('redis://localhost:6379'),
  API_TOKEN: z.string().min(32),
});

export const env = envSchema.parse(process.env);
