namespace IdVerify.Api.Endpoints.Contracts;

public sealed record ManifestModelDto(string Id, string Role, string Family, string File, long Bytes, string Sha256, string Licence, bool Present, bool Calibrated);
