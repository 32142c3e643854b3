// A code-less app depending on the library, shrunk by R8 like a shipping app (full mode, the
// optimizing default rules). It keeps only what consumer-rules.pro keeps, so a missing class in
// JNA or the bindings fails `:minify-check:minifyReleaseWithR8`. Its APK
// (`:minify-check:assembleRelease`) is where `zipalign -c -P 16` checks the .so alignment.
plugins {
    id("com.android.application")
}

// Outputs under android/build/minify-check (already ignored by git).
layout.buildDirectory.set(rootProject.layout.buildDirectory.dir("minify-check"))

android {
    namespace = "app.waymark.minifycheck"
    compileSdk = 35

    defaultConfig {
        applicationId = "app.waymark.minifycheck"
        minSdk = 26
        targetSdk = 35
    }

    buildTypes {
        release {
            isMinifyEnabled = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"))
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    lint {
        checkReleaseBuilds = false
    }
}

dependencies {
    implementation(project(":"))
}
