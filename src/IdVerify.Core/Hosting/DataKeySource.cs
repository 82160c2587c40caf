using IdVerify.Core.Templates;

namespace IdVerify.Core.Hosting;

/// <summary>Where the data keys come from: configuration when it names any, else the key file (created on first start).</summary>
public static class DataKeySource
{
    public static string KeyFilePath(TemplateOptions options, string sqlitePath) => options.DataKeyFile is { Length: > 0 } file
        ? Path.GetFullPath(file)
        : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(sqlitePath))!, "data-keys.json");

    public static DataKeyRing Resolve(TemplateOptions options, string sqlitePath)
    {
        if (options.DataKeys.Count > 0)
        {
            var active = options.ActiveDataKey is { Length: > 0 } configured ? configured
                : options.DataKeys.Count == 1 ? options.DataKeys.Keys.Single()
                : throw new IdVerifyException(ErrorCodes.InvalidRequest, "Templates:DataKeys holds several keys: name one in Templates:ActiveDataKey.");
            return new DataKeyRing(options.DataKeys.ToDictionary(k => k.Key, k => DataKeyRing.FromBase64(k.Key, k.Value)), active);
        }

        var path = KeyFilePath(options, sqlitePath);
        if (File.Exists(path))
        {
            return DataKeyRing.Load(path);
        }

        var ring = DataKeyRing.CreateNew();
        ring.Save(path);
        return ring;
    }
}
