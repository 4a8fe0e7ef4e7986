package dev.lamplighter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.Launcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Public signatures use public types only: no public or protected member of a public type of
 * lamplighter-api or lamplighter-worker outside an {@code internal} package names a type from an
 * {@code internal} package (parameters, return types, exceptions, fields, supertypes, type
 * arguments and bounds). The CLI is an application, not a library, and is not checked.
 */
class PublicApiTest {

    @Test
    void no_public_signature_of_api_or_worker_names_an_internal_type() {
        List<Class<?>> classes = new ArrayList<>();
        classes.addAll(classesBeside(Launcher.class));
        classes.addAll(classesBeside(Lamplighter.class));
        assertThat(classes).as("the scan found the classes of both modules")
                .contains(Launcher.class, Lamplighter.class, LamplighterConfig.Builder.class);

        TreeSet<String> leaks = new TreeSet<>();
        for (Class<?> c : classes) {
            if (!isApi(c)) {
                continue;
            }
            check(leaks, c.getName() + " extends", c.getGenericSuperclass());
            for (Type t : c.getGenericInterfaces()) {
                check(leaks, c.getName() + " implements", t);
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f.getModifiers()) && !f.isSynthetic()) {
                    check(leaks, c.getName() + "." + f.getName(), f.getGenericType());
                }
            }
            List<Executable> members = new ArrayList<>(List.of(c.getDeclaredMethods()));
            members.addAll(List.<Constructor<?>>of(c.getDeclaredConstructors()));
            for (Executable m : members) {
                if (!visible(m.getModifiers()) || m.isSynthetic()) {
                    continue;
                }
                String name = c.getName() + "." + (m instanceof Method ? m.getName() : "<init>") + "(...)";
                if (m instanceof Method method) {
                    check(leaks, name + " returns", method.getGenericReturnType());
                }
                for (Type p : m.getGenericParameterTypes()) {
                    check(leaks, name + " takes", p);
                }
                for (Type e : m.getGenericExceptionTypes()) {
                    check(leaks, name + " throws", e);
                }
                for (TypeVariable<?> v : m.getTypeParameters()) {
                    for (Type b : v.getBounds()) {
                        check(leaks, name + " bounds a type variable by", b);
                    }
                }
            }
        }
        assertThat(leaks).as("public members that name an internal type (member and type)").isEmpty();
    }

    /** Public, not internal, and every enclosing class public too. */
    static boolean isApi(Class<?> c) {
        if (c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass() || isInternal(c)) {
            return false;
        }
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static boolean isInternal(Class<?> c) {
        return ("." + c.getPackageName() + ".").contains(".internal.");
    }

    private static void check(TreeSet<String> leaks, String where, Type type) {
        if (type == null) {
            return;
        }
        if (type instanceof Class<?> c) {
            Class<?> element = c;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            if (isInternal(element)) {
                leaks.add(where + " " + element.getName());
            }
        } else if (type instanceof ParameterizedType p) {
            check(leaks, where, p.getRawType());
            for (Type a : p.getActualTypeArguments()) {
                check(leaks, where, a);
            }
        } else if (type instanceof WildcardType w) {
            Stream.concat(Stream.of(w.getUpperBounds()), Stream.of(w.getLowerBounds())).forEach(b -> check(leaks, where, b));
        } else if (type instanceof GenericArrayType g) {
            check(leaks, where, g.getGenericComponentType());
        }
    }

    /** Every class in the directory or jar that {@code anchor} was loaded from. */
    static List<Class<?>> classesBeside(Class<?> anchor) {
        try {
            Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> names = new ArrayList<>();
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.walk(location)) {
                    files.map(location::relativize).map(Path::toString).forEach(names::add);
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    jar.stream().map(e -> e.getName()).forEach(names::add);
                }
            }
            List<Class<?>> classes = new ArrayList<>();
            for (String n : names) {
                if (n.endsWith(".class") && !n.endsWith("module-info.class") && !n.endsWith("package-info.class")) {
                    String className = n.substring(0, n.length() - ".class".length()).replace('/', '.').replace('\\', '.');
                    classes.add(Class.forName(className, false, anchor.getClassLoader()));
                }
            }
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
