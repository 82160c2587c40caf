using IdVerify.Core;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

public static class CommandLine
{
    public const int Failed = 2;

    /// <summary>
    /// Runs the app; a known failure (a coded <see cref="IdVerifyException"/>, a file that cannot be read, a command
    /// line Spectre cannot parse or a setting its <c>Validate</c> refuses) prints one line on standard error and
    /// exits with <see cref="Failed"/>, never a stack trace. Anything else is a bug and keeps its trace.
    /// </summary>
    public static async Task<int> RunAsync(CommandApp app, string[] args)
    {
        try
        {
            return await app.RunAsync(args);
        }
        catch (IdVerifyException ex)
        {
            return Fail($"error {ex.Code}: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return Fail($"error: {ex.Message}");
        }
        catch (CommandAppException ex)
        {
            // Unknown commands and options, values that do not convert, failed validation: the caller's input.
            return Fail($"error {ErrorCodes.InvalidRequest}: {ex.Message}");
        }
    }

    /// <summary>Plain text, one line whatever the terminal width (Spectre would wrap it), so scripts and logs read it whole.</summary>
    private static int Fail(string message)
    {
        Console.Error.WriteLine(string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        return Failed;
    }
}
