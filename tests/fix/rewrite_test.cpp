// The rewrite engine (src/fix) per language and configuration form: the exact diff `keyhound fix
// --dry-run` prints, imports added once, and the cases it refuses. Secrets here are synthetic.
#include <gtest/gtest.h>

#include "fix/fix_test_support.hpp"

namespace keyhound {
namespace {

using testing::fix_diff;
using testing::kSecret;

const std::string kPassword = "pw_Hq3Lm9Xc2Rv8Tn5Wb1Yd";
const std::string kStripeName = "keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7";
const std::string kPasswordName = "keyhound/shop/generic.password/77c0ffee00112233";

// Replaces the literal with its quotes and adds `import boto3` once for two secrets.
TEST(FixRewrite, PythonImportsBoto3OnceAfterTheImports) {
  const std::string text = R"--("""Billing."""
import os
from decimal import Decimal

STRIPE_KEY = ")--" + kSecret +
                           R"--("
DB_PASSWORD = ')--" + kPassword +
                           R"--('


def charge(amount):
    return Decimal(amount)
)--";
  EXPECT_EQ(fix_diff("src/billing.py", text, {{kSecret, kStripeName, ""}, {kPassword, kPasswordName, ""}}),
            R"--(--- a/src/billing.py
+++ b/src/billing.py
@@ -1,9 +1,10 @@
 """Billing."""
 import os
 from decimal import Decimal
+import boto3
 
-STRIPE_KEY = "to…t8"
-DB_PASSWORD = 'pw…Yd'
+STRIPE_KEY = boto3.client("secretsmanager").get_secret_value(SecretId="keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7")["SecretString"]
+DB_PASSWORD = boto3.client("secretsmanager").get_secret_value(SecretId="keyhound/shop/generic.password/77c0ffee00112233")["SecretString"]
 
 
 def charge(amount):
)--");
}

// No import yet: after the leading comments, set apart by blank lines.
TEST(FixRewrite, PythonWithoutImportsGetsOneAfterItsComments) {
  const std::string text = R"--(# Settings for the shop.
API_KEY = r")--" + kSecret +
                           R"--("
)--";
  EXPECT_EQ(fix_diff("settings.py", text, {{kSecret, kStripeName, ""}}),
            R"--(--- a/settings.py
+++ b/settings.py
@@ -1,2 +1,5 @@
 # Settings for the shop.
-API_KEY = r"to…t8"
+
+import boto3
+
+API_KEY = boto3.client("secretsmanager").get_secret_value(SecretId="keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7")["SecretString"]
)--");
}

// An import the file already has is not added again.
TEST(FixRewrite, PythonFileThatAlreadyImportsBoto3) {
  const std::string text = R"--(import boto3

client = make(api_key=")--" +
                           kSecret +
                           R"--(")
)--";
  EXPECT_EQ(fix_diff("app.py", text, {{kSecret, kStripeName, ""}}),
            R"--(--- a/app.py
+++ b/app.py
@@ -1,3 +1,3 @@
 import boto3
 
-client = make(api_key="to…t8")
+client = make(api_key=boto3.client("secretsmanager").get_secret_value(SecretId="keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7")["SecretString"])
)--");
}

// A pair: each half reads its field of one JSON secret; json imported once.
TEST(FixRewrite, PythonPairReadsItsFieldFromTheJsonSecret) {
  const std::string text = R"--(import os

KEY_ID = ")--" + kSecret +
                           R"--("
SECRET = ")--" + kPassword +
                           R"--("
)--";
  EXPECT_EQ(fix_diff("aws.py", text,
                     {{kSecret, kStripeName, "accessKeyId"}, {kPassword, kStripeName, "secretAccessKey"}}),
            R"--(--- a/aws.py
+++ b/aws.py
@@ -1,4 +1,6 @@
 import os
+import json
+import boto3
 
-KEY_ID = "to…t8"
-SECRET = "pw…Yd"
+KEY_ID = json.loads(boto3.client("secretsmanager").get_secret_value(SecretId="keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7")["SecretString"])["accessKeyId"]
+SECRET = json.loads(boto3.client("secretsmanager").get_secret_value(SecretId="keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7")["SecretString"])["secretAccessKey"]
)--");
}

// ESM: a module-level constant with top-level await, the SDK import once.
TEST(FixRewrite, JavascriptModuleReadsAtTopLevel) {
  const std::string text = R"--(import Stripe from "stripe";

export function client() {
  return new Stripe(")--" + kSecret +
                           R"--(");
}
)--";
  EXPECT_EQ(fix_diff("web/client.mjs", text, {{kSecret, kStripeName, ""}}),
            R"--(--- a/web/client.mjs
+++ b/web/client.mjs
@@ -1,5 +1,8 @@
 import Stripe from "stripe";
+import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
+const secretsManager = new SecretsManagerClient({});
+const secret_1 = (await secretsManager.send(new GetSecretValueCommand({ SecretId: "keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7" }))).SecretString;
 
 export function client() {
-  return new Stripe("to…t8");
+  return new Stripe(secret_1);
 }
)--");
}

// Two secrets, one of them used twice: one import, one client, one constant per secret.
TEST(FixRewrite, JavascriptModuleTwoSecretsOneImport) {
  const std::string text = R"--(// Payments.
const a = ")--" + kSecret +
                           R"--(";
const b = ")--" + kPassword +
                           R"--(";
const c = ")--" + kSecret +
                           R"--(";
)--";
  EXPECT_EQ(fix_diff("app.mjs", text, {{kSecret, kStripeName, ""}, {kPassword, kPasswordName, ""}}),
            R"--(--- a/app.mjs
+++ b/app.mjs
@@ -1,4 +1,10 @@
 // Payments.
-const a = "to…t8";
-const b = "pw…Yd";
-const c = "to…t8";
+
+import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
+const secretsManager = new SecretsManagerClient({});
+const secret_1 = (await secretsManager.send(new GetSecretValueCommand({ SecretId: "keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7" }))).SecretString;
+const secret_2 = (await secretsManager.send(new GetSecretValueCommand({ SecretId: "keyhound/shop/generic.password/77c0ffee00112233" }))).SecretString;
+
+const a = secret_1;
+const b = secret_2;
+const c = secret_1;
)--");
}

// TypeScript: the same, with `!` since SecretString is optional in the SDK's types.
TEST(FixRewrite, TypescriptAssertsTheStringIsThere) {
  const std::string text = R"--(import { z } from "zod";
import {
  a,
  b,
} from "./util";

export const stripeKey: string = ")--" +
                           kSecret +
                           R"--(";
)--";
  EXPECT_EQ(fix_diff("src/config.ts", text, {{kSecret, kStripeName, ""}}),
            R"--(--- a/src/config.ts
+++ b/src/config.ts
@@ -3,5 +3,8 @@
   a,
   b,
 } from "./util";
+import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
+const secretsManager = new SecretsManagerClient({});
+const secret_1 = (await secretsManager.send(new GetSecretValueCommand({ SecretId: "keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7" }))).SecretString!;
 
-export const stripeKey: string = "to…t8";
+export const stripeKey: string = secret_1;
)--");
}

// CommonJS: require once, await inside the async function that uses it.
TEST(FixRewrite, CommonJsInsideAnAsyncFunction) {
  const std::string text = R"--("use strict";
const express = require("express");

async function pay(amount) {
  const stripe = require("stripe")(")--" +
                           kSecret +
                           R"--(");
  return stripe.charges.create({ amount });
}
module.exports = { pay };
)--";
  EXPECT_EQ(fix_diff("server.js", text, {{kSecret, kStripeName, ""}}),
            R"--(--- a/server.js
+++ b/server.js
@@ -1,8 +1,10 @@
 "use strict";
 const express = require("express");
+const { SecretsManagerClient, GetSecretValueCommand } = require("@aws-sdk/client-secrets-manager");
+const secretsManager = new SecretsManagerClient({});
 
 async function pay(amount) {
-  const stripe = require("stripe")("to…t8");
+  const stripe = require("stripe")((await secretsManager.send(new GetSecretValueCommand({ SecretId: "keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7" }))).SecretString);
   return stripe.charges.create({ amount });
 }
 module.exports = { pay };
)--");
}

// CommonJS has no top-level await: refused, naming the line.
TEST(FixRewrite, CommonJsAtTopLevelIsRefused) {
  const std::string text = R"--(const stripe = require("stripe")(")--" + kSecret +
                           R"--(");
module.exports = stripe;
)--";
  EXPECT_EQ(
      fix_diff("server.cjs", text, {{kSecret, kStripeName, ""}}),
      R"--(error: server.cjs: line 1: CommonJS has no top-level await and the secret is not inside an async function: read it in one (or make the file an ES module), then fix again)--");
}

// An async arrow function counts; an object literal inside it is not a function.
TEST(FixRewrite, CommonJsAsyncArrowInsideAnObject) {
  const std::string text = R"--(const db = require("./db");

exports.handler = async (event) => {
  return db.connect({ password: ")--" +
                           kSecret +
                           R"--(" });
};
)--";
  EXPECT_EQ(fix_diff("handler.cjs", text, {{kSecret, kStripeName, ""}}),
            R"--(--- a/handler.cjs
+++ b/handler.cjs
@@ -1,5 +1,7 @@
 const db = require("./db");
+const { SecretsManagerClient, GetSecretValueCommand } = require("@aws-sdk/client-secrets-manager");
+const secretsManager = new SecretsManagerClient({});
 
 exports.handler = async (event) => {
-  return db.connect({ password: "to…t8" });
+  return db.connect({ password: (await secretsManager.send(new GetSecretValueCommand({ SecretId: "keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7" }))).SecretString });
 };
)--");
}

// Go: const becomes var, imports join the import block, one helper at the end.
TEST(FixRewrite, GoConstBecomesVarAndGetsAHelper) {
  const std::string text = R"--(package main

import (
	"fmt"
)

const stripeKey = ")--" + kSecret +
                           R"--("

func main() {
	fmt.Println(len(stripeKey))
}
)--";
  EXPECT_EQ(fix_diff("cmd/billing/main.go", text, {{kSecret, kStripeName, ""}}),
            R"--(--- a/cmd/billing/main.go
+++ b/cmd/billing/main.go
@@ -1,11 +1,30 @@
 package main
 
 import (
+	"context"
 	"fmt"
+	"github.com/aws/aws-sdk-go-v2/aws"
+	"github.com/aws/aws-sdk-go-v2/config"
+	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
 )
 
-const stripeKey = "to…t8"
+var stripeKey = secretString("keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7")
 
 func main() {
 	fmt.Println(len(stripeKey))
+}
+
+// secretString reads a secret's current value from AWS Secrets Manager (added by keyhound fix).
+func secretString(secretID string) string {
+	ctx := context.Background()
+	cfg, err := config.LoadDefaultConfig(ctx)
+	if err != nil {
+		panic("secrets manager: " + err.Error())
+	}
+	out, err := secretsmanager.NewFromConfig(cfg).GetSecretValue(ctx,
+		&secretsmanager.GetSecretValueInput{SecretId: aws.String(secretID)})
+	if err != nil {
+		panic("secrets manager: " + secretID + ": " + err.Error())
+	}
+	return aws.ToString(out.SecretString)
 }
)--");
}

// Go without imports: a new import block after the package clause.
TEST(FixRewrite, GoWithoutImportsGetsABlockAfterThePackage) {
  const std::string text = R"--(package config

var Password = `)--" + kPassword +
                           R"--(`
)--";
  EXPECT_EQ(fix_diff("config.go", text, {{kPassword, kPasswordName, ""}}),
            R"--(--- a/config.go
+++ b/config.go
@@ -1,3 +1,25 @@
 package config
 
-var Password = `pw…Yd`
+import (
+	"context"
+	"github.com/aws/aws-sdk-go-v2/aws"
+	"github.com/aws/aws-sdk-go-v2/config"
+	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
+)
+
+var Password = secretString("keyhound/shop/generic.password/77c0ffee00112233")
+
+// secretString reads a secret's current value from AWS Secrets Manager (added by keyhound fix).
+func secretString(secretID string) string {
+	ctx := context.Background()
+	cfg, err := config.LoadDefaultConfig(ctx)
+	if err != nil {
+		panic("secrets manager: " + err.Error())
+	}
+	out, err := secretsmanager.NewFromConfig(cfg).GetSecretValue(ctx,
+		&secretsmanager.GetSecretValueInput{SecretId: aws.String(secretID)})
+	if err != nil {
+		panic("secrets manager: " + secretID + ": " + err.Error())
+	}
+	return aws.ToString(out.SecretString)
+}
)--");
}

// Java: the SDK v2 call in place of the literal, imports after the package clause.
TEST(FixRewrite, JavaImportsAfterThePackage) {
  const std::string text = R"--(package com.example;

public class Pay {
  private static final String KEY = ")--" +
                           kSecret +
                           R"--(";
}
)--";
  EXPECT_EQ(fix_diff("src/main/java/com/example/Pay.java", text, {{kSecret, kStripeName, ""}}),
            R"--(--- a/src/main/java/com/example/Pay.java
+++ b/src/main/java/com/example/Pay.java
@@ -1,5 +1,8 @@
 package com.example;
 
+import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
+import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
+
 public class Pay {
-  private static final String KEY = "to…t8";
+  private static final String KEY = SecretsManagerClient.create().getSecretValue(GetSecretValueRequest.builder().secretId("keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7").build()).secretString();
 }
)--");
}

// Ruby: require after the magic comment and the other requires.
TEST(FixRewrite, RubyRequiresTheGemOnce) {
  const std::string text = R"--(# frozen_string_literal: true
require "stripe"

Stripe.api_key = ")--" + kSecret +
                           R"--("
)--";
  EXPECT_EQ(fix_diff("config/initializers/stripe.rb", text, {{kSecret, kStripeName, ""}}),
            R"--(--- a/config/initializers/stripe.rb
+++ b/config/initializers/stripe.rb
@@ -1,4 +1,5 @@
 # frozen_string_literal: true
 require "stripe"
+require "aws-sdk-secretsmanager"
 
-Stripe.api_key = "to…t8"
+Stripe.api_key = Aws::SecretsManager::Client.new.get_secret_value(secret_id: "keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7").secret_string
)--");
}

// C#: a const field becomes static readonly; a verbatim string's @ goes too.
TEST(FixRewrite, CsharpConstFieldBecomesStaticReadonly) {
  const std::string text = R"--(using System;

namespace Inventory.Api;

public class Notify
{
    private const string ApiKey = @")--" +
                           kSecret +
                           R"--(";
}
)--";
  EXPECT_EQ(fix_diff("Inventory.Api/Notify.cs", text, {{kSecret, kStripeName, ""}}),
            R"--(--- a/Inventory.Api/Notify.cs
+++ b/Inventory.Api/Notify.cs
@@ -1,8 +1,10 @@
 using System;
+using Amazon.SecretsManager;
+using Amazon.SecretsManager.Model;
 
 namespace Inventory.Api;
 
 public class Notify
 {
-    private const string ApiKey = @"to…t8";
+    private static readonly string ApiKey = new AmazonSecretsManagerClient().GetSecretValueAsync(new GetSecretValueRequest { SecretId = "keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7" }).GetAwaiter().GetResult().SecretString;
 }
)--");
}

// Shell: command substitution, quoted, whether the literal was quoted or bare.
TEST(FixRewrite, ShellReadsWithTheAwsCli) {
  const std::string text = R"--(#!/bin/sh
set -e
export API_TOKEN=)--" + kSecret +
                           R"--(
curl -H "X-Key: $API_TOKEN" https://example.com
DB_PASSWORD=')--" + kPassword +
                           R"--('
)--";
  EXPECT_EQ(fix_diff("deploy/release.sh", text, {{kSecret, kStripeName, ""}, {kPassword, kPasswordName, ""}}),
            R"--(--- a/deploy/release.sh
+++ b/deploy/release.sh
@@ -1,5 +1,5 @@
 #!/bin/sh
 set -e
-export API_TOKEN=to…t8
+export API_TOKEN="$(aws secretsmanager get-secret-value --secret-id 'keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7' --query SecretString --output text)"
 curl -H "X-Key: $API_TOKEN" https://example.com
-DB_PASSWORD='pw…Yd'
+DB_PASSWORD="$(aws secretsmanager get-secret-value --secret-id 'keyhound/shop/generic.password/77c0ffee00112233' --query SecretString --output text)"
)--");
}

// dotenv: ${KEY} in place of the value, a comment naming the secret.
TEST(FixRewrite, DotenvReferencesTheVariableAndNamesTheSecret) {
  const std::string text = R"--(APP_ENV=production
STRIPE_KEY=)--" + kSecret +
                           R"--(
export DB_PASSWORD=")--" + kPassword +
                           R"--("
)--";
  EXPECT_EQ(fix_diff("deploy/.env", text, {{kSecret, kStripeName, ""}, {kPassword, kPasswordName, ""}}),
            R"--(--- a/deploy/.env
+++ b/deploy/.env
@@ -1,3 +1,5 @@
 APP_ENV=production
-STRIPE_KEY=to…t8
-export DB_PASSWORD="pw…Yd"
+# STRIPE_KEY: AWS Secrets Manager secret keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7 (keyhound fix)
+STRIPE_KEY=${STRIPE_KEY}
+# DB_PASSWORD: AWS Secrets Manager secret keyhound/shop/generic.password/77c0ffee00112233 (keyhound fix)
+export DB_PASSWORD="${DB_PASSWORD}"
)--");
}

// YAML: the key path names the variable the way Spring binds it.
TEST(FixRewrite, YamlKeyPathBecomesTheVariableName) {
  const std::string text = R"--(spring:
  datasource:
    url: jdbc:postgresql://db/shop
    password: ")--" + kPassword +
                           R"--("
stripe:
  key: )--" + kSecret +
                           R"--(
)--";
  EXPECT_EQ(fix_diff("src/main/resources/application.yml", text,
                     {{kPassword, kPasswordName, ""}, {kSecret, kStripeName, ""}}),
            R"--(--- a/src/main/resources/application.yml
+++ b/src/main/resources/application.yml
@@ -1,6 +1,8 @@
 spring:
   datasource:
     url: jdbc:postgresql://db/shop
-    password: "pw…Yd"
+    # SPRING_DATASOURCE_PASSWORD: AWS Secrets Manager secret keyhound/shop/generic.password/77c0ffee00112233 (keyhound fix)
+    password: "${SPRING_DATASOURCE_PASSWORD}"
 stripe:
-  key: to…t8
+  # STRIPE_KEY: AWS Secrets Manager secret keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7 (keyhound fix)
+  key: ${STRIPE_KEY}
)--");
}

// properties: ${SPRING_DATASOURCE_PASSWORD}.
TEST(FixRewrite, PropertiesKeyBecomesTheVariableName) {
  const std::string text = R"--(spring.datasource.url=jdbc:postgresql://db/shop
spring.datasource.password = )--" +
                           kPassword +
                           R"--(
)--";
  EXPECT_EQ(fix_diff("application.properties", text, {{kPassword, kPasswordName, ""}}),
            R"--(--- a/application.properties
+++ b/application.properties
@@ -1,2 +1,3 @@
 spring.datasource.url=jdbc:postgresql://db/shop
-spring.datasource.password = pw…Yd
+# SPRING_DATASOURCE_PASSWORD: AWS Secrets Manager secret keyhound/shop/generic.password/77c0ffee00112233 (keyhound fix)
+spring.datasource.password = ${SPRING_DATASOURCE_PASSWORD}
)--");
}

// Compose: ${VAR:?} in mapping and list forms, so compose refuses to start without it.
TEST(FixRewrite, DockerComposeRequiresTheVariable) {
  const std::string text = R"--(services:
  web:
    image: shop
    environment:
      STRIPE_KEY: )--" + kSecret +
                           R"--(
  db:
    image: postgres
    environment:
      - POSTGRES_PASSWORD=)--" +
                           kPassword +
                           R"--(
)--";
  EXPECT_EQ(
      fix_diff("docker-compose.yml", text, {{kSecret, kStripeName, ""}, {kPassword, kPasswordName, ""}}),
      R"--(--- a/docker-compose.yml
+++ b/docker-compose.yml
@@ -2,8 +2,10 @@
   web:
     image: shop
     environment:
-      STRIPE_KEY: to…t8
+      # STRIPE_KEY: AWS Secrets Manager secret keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7 (keyhound fix)
+      STRIPE_KEY: ${STRIPE_KEY:?}
   db:
     image: postgres
     environment:
-      - POSTGRES_PASSWORD=pw…Yd
+      # POSTGRES_PASSWORD: AWS Secrets Manager secret keyhound/shop/generic.password/77c0ffee00112233 (keyhound fix)
+      - POSTGRES_PASSWORD=${POSTGRES_PASSWORD:?}
)--");
}

// Kubernetes: an env value becomes a secretKeyRef to a Secret an ExternalSecret fills.
TEST(FixRewrite, KubernetesEnvValueBecomesSecretKeyRef) {
  const std::string text = R"--(apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: web
          image: shop
          env:
            - name: STRIPE_KEY
              value: ")--" +
                           kSecret +
                           R"--("
)--";
  EXPECT_EQ(fix_diff("k8s/deployment.yaml", text, {{kSecret, kStripeName, ""}}),
            R"--(--- a/k8s/deployment.yaml
+++ b/k8s/deployment.yaml
@@ -11,4 +11,26 @@
           image: shop
           env:
             - name: STRIPE_KEY
-              value: "to…t8"
+              valueFrom:
+                secretKeyRef:
+                  name: keyhound-shop-stripe.secret-key-3f2a9c01d4e5b6a7
+                  key: value
+---
+# Filled from AWS Secrets Manager by the External Secrets Operator (added by keyhound fix;
+# point secretStoreRef at your store).
+apiVersion: external-secrets.io/v1beta1
+kind: ExternalSecret
+metadata:
+  name: keyhound-shop-stripe.secret-key-3f2a9c01d4e5b6a7
+  namespace: shop
+spec:
+  refreshInterval: 1h
+  secretStoreRef:
+    kind: ClusterSecretStore
+    name: aws-secrets-manager
+  target:
+    name: keyhound-shop-stripe.secret-key-3f2a9c01d4e5b6a7
+  data:
+    - secretKey: value
+      remoteRef:
+        key: keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7
)--");
}

// Kubernetes: a Secret whose stringData is all vaulted becomes an ExternalSecret of the same name.
TEST(FixRewrite, KubernetesSecretBecomesAnExternalSecret) {
  const std::string text = R"--(apiVersion: v1
kind: Secret
metadata:
  name: payments
  namespace: shop
type: Opaque
stringData:
  stripe-key: )--" + kSecret +
                           R"--(
  db-password: ")--" + kPassword +
                           R"--("
)--";
  EXPECT_EQ(fix_diff("k8s/payments-secret.yaml", text,
                     {{kSecret, kStripeName, ""}, {kPassword, kPasswordName, ""}}),
            R"--(--- a/k8s/payments-secret.yaml
+++ b/k8s/payments-secret.yaml
@@ -1,9 +1,21 @@
-apiVersion: v1
-kind: Secret
+# Filled from AWS Secrets Manager by the External Secrets Operator (added by keyhound fix;
+# point secretStoreRef at your store).
+apiVersion: external-secrets.io/v1beta1
+kind: ExternalSecret
 metadata:
   name: payments
   namespace: shop
-type: Opaque
-stringData:
-  stripe-key: to…t8
-  db-password: "pw…Yd"
+spec:
+  refreshInterval: 1h
+  secretStoreRef:
+    kind: ClusterSecretStore
+    name: aws-secrets-manager
+  target:
+    name: payments
+  data:
+    - secretKey: stripe-key
+      remoteRef:
+        key: keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7
+    - secretKey: db-password
+      remoteRef:
+        key: keyhound/shop/generic.password/77c0ffee00112233
)--");
}

// A Secret with a key that is not vaulted is refused, naming the key.
TEST(FixRewrite, KubernetesSecretWithKeysLeftIsRefused) {
  const std::string text = R"--(apiVersion: v1
kind: Secret
metadata:
  name: payments
stringData:
  stripe-key: )--" + kSecret +
                           R"--(
  region: eu-west-1
)--";
  EXPECT_EQ(
      fix_diff("k8s/payments-secret.yaml", text, {{kSecret, kStripeName, ""}}),
      R"--(error: k8s/payments-secret.yaml: line 1: Secret payments also holds region, not vaulted: vault them too (or rewrite by hand))--");
}

// A literal that holds more than the secret is left for a person.
TEST(FixRewrite, SecretInsideALongerStringIsRefused) {
  const std::string text = R"--(URL = "postgres://app:)--" + kPassword +
                           R"--(@db/shop"
)--";
  EXPECT_EQ(fix_diff("src/db.py", text, {{kPassword, kPasswordName, ""}}),
            R"--(error: src/db.py: line 1: the secret is part of a longer string; rewrite it by hand)--");
}

}  // namespace
}  // namespace keyhound
