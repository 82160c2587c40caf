namespace IdVerify.Api.Endpoints;

/// <summary>One field of a multipart/form-data request, as the OpenAPI document describes it.</summary>
/// <param name="File">a file part (a photo, a model) rather than a text value.</param>
/// <param name="Repeated">the field may be sent more than once (several photos, a burst of frames).</param>
public sealed record FormField(string Name, string Description, bool File = false, bool Repeated = false);
