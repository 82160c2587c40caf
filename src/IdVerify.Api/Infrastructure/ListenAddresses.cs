using System.Net;

namespace IdVerify.Api.Infrastructure;

/// <summary>The addresses the configuration asks Kestrel to listen on, read before the server starts.</summary>
public static class ListenAddresses
{
    /// <summary>
    /// Every configured listen address: <c>Urls</c> (also <c>--urls</c>, <c>ASPNETCORE_URLS</c>), <c>HTTP_PORTS</c> /
    /// <c>HTTPS_PORTS</c> (all interfaces) and <c>Kestrel:Endpoints:*:Url</c>. None means Kestrel's default, localhost.
    /// </summary>
    public static IReadOnlyList<string> Configured(IConfiguration configuration)
    {
        var addresses = new List<string>();
        addresses.AddRange(Split(configuration["urls"]));
        addresses.AddRange(Split(configuration["http_ports"]).Select(p => $"http://*:{p}"));
        addresses.AddRange(Split(configuration["https_ports"]).Select(p => $"https://*:{p}"));
        addresses.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        return addresses;
    }

    /// <summary>The configured addresses that another machine could reach.</summary>
    public static IReadOnlyList<string> NonLoopback(IConfiguration configuration) => Configured(configuration).Where(a => !IsLoopback(a)).ToList();

    public static bool IsLoopback(string address)
    {
        // "http://*:8080" and "http://+:8080" do not parse as URIs; they mean every interface.
        if (!Uri.TryCreate(address.Replace("://*", "://any", StringComparison.Ordinal).Replace("://+", "://any", StringComparison.Ordinal),
                UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    private static IEnumerable<string> Split(string? value) =>
        (value ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
