using IdVerify.Core.Models;

namespace IdVerify.Api.Endpoints.Contracts;

public sealed record ActiveModelDto(string Id, string Role, string Family, string Sha256, string Licence)
{
    public static ActiveModelDto From(ModelEntry m) => new(m.Id, m.Role, m.Family, m.Sha256, m.Licence);
}
