namespace IdVerify.Core.Hosting;

/// <summary>Configuration section <c>Templates</c>: how templates and face crops are kept at rest.</summary>
public sealed class TemplateOptions
{
    public const string Section = "Templates";

    /// <summary>
    /// Keep each enrollment's aligned face crop, sealed like the embedding, so templates can be migrated to a new
    /// embedder offline. Off by default: a face crop is far more sensitive than an embedding.
    /// </summary>
    public bool KeepCrops { get; set; }

    /// <summary>
    /// The data key file (<c>{"active": id, "keys": {id: base64}}</c>, mode 0600). Default: <c>data-keys.json</c> beside the
    /// SQLite file, created with one random key on first start. Keep it on another volume than the database in production.
    /// </summary>
    public string DataKeyFile { get; set; } = "";

    /// <summary>Data keys from configuration instead of a file (id → base64 of 32 bytes), e.g. from a secrets store.</summary>
    public Dictionary<string, string> DataKeys { get; set; } = [];

    /// <summary>The configured key new rows are sealed with (required when <see cref="DataKeys"/> holds more than one).</summary>
    public string ActiveDataKey { get; set; } = "";
}
