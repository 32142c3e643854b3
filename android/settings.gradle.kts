// The Waymark Android library, built on its own or included from an app's build.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "waymark-android"

// A code-less app that depends on this library with R8 on, as every shipping app does:
// `./gradlew :minify-check:minifyReleaseWithR8` fails if consumer-rules.pro misses a class
// (R8 treats missing classes as errors since AGP 8). Never published.
include(":minify-check")
project(":minify-check").projectDir = file("gradle/minify-check")
