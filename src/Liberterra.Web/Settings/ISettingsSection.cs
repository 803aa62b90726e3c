namespace Liberterra.Web.Settings;

/// <summary>
/// A class of typed settings bound from one configuration section (<see cref="Section"/>), one public settable property
/// per key, with today's default as the property's initial value. Registered with
/// <see cref="SettingsExtensions.AddSettings{T}"/>, it is checked before the app or a command starts; docs/operations.md
/// lists every key, and SettingsTests keeps that table in step with these classes.
/// </summary>
public interface ISettingsSection
{
    static abstract string Section { get; }

    /// <summary>Whether keys that are not properties may sit in the section; otherwise a misspelt key stops the app.</summary>
    static virtual bool AllowsOtherKeys => false;
}
