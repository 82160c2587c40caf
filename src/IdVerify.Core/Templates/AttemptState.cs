namespace IdVerify.Core.Templates;

/// <summary>A subject's failed verifies since its last success, and the lock they earned.</summary>
/// <param name="JustLocked">this failure reached the limit and locked the subject.</param>
public sealed record AttemptState(int Failures, DateTimeOffset? LockedUntil, bool JustLocked = false);
