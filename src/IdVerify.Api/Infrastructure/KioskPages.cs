using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// The kiosk page: plain static files from wwwroot/kiosk, served at /kiosk before the key check (the page holds no secret;
/// it asks the operator for a key and sends it on every API call), with a policy that lets it reach nothing but this service.
/// </summary>
public static class KioskPages
{
    public const string RequestPath = "/kiosk";

    // Same-origin only: the page's own module and styles, the camera as a blob/mediastream, the API over fetch.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; media-src 'self' blob: mediastream:; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IServiceCollection AddKiosk(this IServiceCollection services, IWebHostEnvironment environment)
    {
        services.AddOptions<KioskSettings>().BindConfiguration(KioskSettings.Section)
            .Validate(k => !k.Enabled || File.Exists(IndexFile(environment)),
                $"Kiosk:Enabled=true needs wwwroot/kiosk/index.html beside the service ({IndexFile(environment)} is missing).")
            .ValidateOnStart();
        return services;
    }

    public static WebApplication UseKiosk(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<KioskSettings>>().Value.Enabled)
        {
            return app;
        }

        var files = new PhysicalFileProvider(Folder(app.Environment));
        // /kiosk redirects to /kiosk/ so the page's relative links resolve, then serves index.html.
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = RequestPath });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = RequestPath,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=()";
                headers.CacheControl = "no-cache";
            },
        });
        return app;
    }

    private static string Folder(IWebHostEnvironment environment) =>
        Path.Combine(environment.WebRootPath ?? Path.Combine(environment.ContentRootPath, "wwwroot"), "kiosk");

    private static string IndexFile(IWebHostEnvironment environment) => Path.Combine(Folder(environment), "index.html");
}
