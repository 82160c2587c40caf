namespace IdVerify.Core.Models;

public static class ModelRoles
{
    public const string Detector = "detector";
    public const string Embedder = "embedder";
    public const string Liveness = "liveness";
    public const string Landmarks = "landmarks";
}
