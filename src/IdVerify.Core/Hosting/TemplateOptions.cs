namespace IdVerify.Core.Hosting;

/// <summary>Configuration section <c>Templates</c>.</summary>
public sealed class TemplateOptions
{
    public const string Section = "Templates";

    /// <summary>
    /// Base64 of a 32-byte AES key. When set, each enrollment's aligned face crop is kept encrypted beside its template
    /// so templates can be migrated to a new embedder offline. Empty (the default): no face crop is stored.
    /// </summary>
    public string CropKey { get; set; } = "";
}
