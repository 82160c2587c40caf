namespace IdVerify.Cli.Bench;

/// <summary>A photo enrolled as its own subject: the bench verifies the photo against it.</summary>
public sealed record BenchSubject(string SubjectId, byte[] Photo);
