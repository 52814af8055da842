// Sends stock alerts by e-mail and to the warehouse chat.
using System.Net;
using System.Net.Http.Headers;
using System.Net.Mail;
using SendGrid;

namespace Inventory.Api;

public sealed class NotificationService
{
    private const string SendGridKey = "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";
    private const string CosmosPrimaryKey = "AvegHqMj4nlyIT+7AXgfD3CfvRvp5935CL3G0aiwopcJa6qtrJeCfmI/+MBLm+wjB3RH6oNIa5TCbz7vnL/uJV==";
    private static readonly Guid CorrelationNamespace = new("a5a27ac3-ced6-4e87-9d53-a429222b34d8");

    private readonly SmtpClient _smtp = new("smtp.office365.com", 587)
    {
        EnableSsl = true,
        Credentials = new NetworkCredential("alerts@inventory.example.com", "bYmNu_BYhpabE2RG6k"),
    };

    private readonly HttpClient _http = new();

    public NotificationService()
    {
        _http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Bearer", Environment.GetEnvironmentVariable("WAREHOUSE_TOKEN"));
        var nuget = "oy2blv8iitojn51ckr162wdqdu6ef5yhneuxncc6755efl";
        var devopsPat = "3hIGCRfxmD28UjjkrKLBuxW2WhVyn0TCqPEL0l2kPrBDtoINujozJQQJ99xZB9IJu2dbIfAOjwFEAZDOHYig";
    }

    public Task SendAsync(string to, string body) =>
        new SendGridClient(SendGridKey).SendEmailAsync(MailHelper.CreateSingleEmail(
            new EmailAddress("alerts@inventory.example.com"), new EmailAddress(to), "Low stock", body, body));
}
