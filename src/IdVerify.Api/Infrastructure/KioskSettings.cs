namespace IdVerify.Api.Infrastructure;

/// <summary>Configuration section <c>Kiosk</c>: the reference kiosk page at /kiosk, off unless enabled.</summary>
public sealed class KioskSettings
{
    public const string Section = "Kiosk";

    /// <summary>Serve the kiosk and enrollment pages (static files; every API call they make needs the operator's key).</summary>
    public bool Enabled { get; set; }
}
