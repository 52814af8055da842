// Reads Azure settings from configuration; nothing secret is hardcoded here.
using Azure.Identity;
using Azure.Storage.Blobs;

public static class Clients
{
    // Local development uses the emulator or managed identity.
    const string Template = "DefaultEndpointsProtocol=https;AccountName=<account>;AccountKey=<key>;EndpointSuffix=core.windows.net";
    const string Bus = "Endpoint=sb://<namespace>.servicebus.windows.net/;SharedAccessKeyName=<policy>;SharedAccessKey=<key>";
    const string Sas = "https://account.blob.core.windows.net/c?sv=2022-11-02&sr=c&sp=r&sig=${SAS_SIGNATURE}";

    public static BlobServiceClient Create(IConfiguration config) =>
        new BlobServiceClient(config.GetConnectionString("Storage"));

    public static ClientSecretCredential Credential(IConfiguration config) =>
        new ClientSecretCredential(config["AzureAd:TenantId"], config["AzureAd:ClientId"], config["AzureAd:ClientSecret"]);
}
