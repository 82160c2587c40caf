namespace IdVerify.Api.Endpoints;

/// <summary>Endpoint metadata: the fields the route reads from a multipart/form-data body (the handler reads the form itself).</summary>
public sealed record FormFields(IReadOnlyList<FormField> Fields);
