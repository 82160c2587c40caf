namespace IdVerify.Core.Models;

/// <summary>
/// A file computed from the entry's verified original by a named rewrite when the model is pulled (never downloaded
/// or committed), pinned by its own sha256; sessions run it in place of the original.
/// </summary>
/// <param name="DerivedFrom">the original's sha256, so a manifest edit of one without the other is caught.</param>
public sealed record DerivedModel(string File, string Sha256, string DerivedFrom, string Rewrite);
